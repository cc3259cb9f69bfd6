import { Button, CopyButton } from "@mantine/core";

export function CopyLinkButton({ url }: { url: string }) {
  return (
    <CopyButton value={url}>
      {({ copied, copy }) => (
        <Button size="xs" variant="light" color={copied ? "teal" : "blue"} onClick={copy}>
          {copied ? "Copied" : "Copy link"}
        </Button>
      )}
    </CopyButton>
  );
}
