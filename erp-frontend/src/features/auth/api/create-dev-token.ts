import { useMutation } from "@tanstack/react-query";
import { apiRequest } from "@/lib/api-client";
import type { DevTokenResponse } from "@/lib/api-types";

export type DemoRole = "sales" | "finance" | "admin";

export function createDevToken(role: DemoRole): Promise<DevTokenResponse> {
  return apiRequest<DevTokenResponse>("/api/v1/auth/dev-token", {
    method: "POST",
    body: { role },
    anonymous: true,
  });
}

export function useCreateDevToken() {
  return useMutation({ mutationFn: createDevToken });
}
