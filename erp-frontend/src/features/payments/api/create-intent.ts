import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { CreatedIntent, CreateIntentRequest } from "@/lib/api-types";

export function createIntent(body: CreateIntentRequest): Promise<CreatedIntent> {
  return api.post<CreatedIntent>("/api/v1/payments/stripe/create-intent", body);
}

export function useCreateIntent() {
  return useMutation({ mutationFn: createIntent });
}
