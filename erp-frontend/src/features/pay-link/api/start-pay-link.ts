import { useMutation } from "@tanstack/react-query";
import { apiRequest } from "@/lib/api-client";
import type { PayIntent } from "@/lib/api-types";
import { payLinkPath } from "./pay-link-path";

/** The client secret for the link's amount: the same payment on every call, from any tab. */
export function startPayLink(token: string): Promise<PayIntent> {
  return apiRequest<PayIntent>(payLinkPath(token, "intent"), { method: "POST", anonymous: true });
}

export function useStartPayLink() {
  return useMutation({ mutationFn: startPayLink });
}
