import { Button, Stack, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

export function TokenSignIn({ onToken }: { onToken: (token: string) => boolean }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!onToken(token)) setError("This is not a valid token: paste the whole JWT.");
  }

  return (
    <form onSubmit={submit} aria-label="Sign in with a token">
      <Stack gap="sm">
        <Textarea
          label="Access token"
          description="A JWT issued for you, e.g. by make token ROLE=finance"
          placeholder="eyJhbGciOi…"
          autosize
          minRows={2}
          maxRows={5}
          value={token}
          onChange={(event) => {
            setToken(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          styles={{ input: { fontFamily: "monospace", fontSize: 12 } }}
        />
        <Button type="submit" variant="filled" disabled={!token.trim()}>Sign in with token</Button>
      </Stack>
    </form>
  );
}
