import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiRequest } from "@/lib/api-client";
import type { PayLinkView } from "@/lib/api-types";
import { payLinkKeys } from "./pay-link-keys";
import { payLinkPath } from "./pay-link-path";

/** The service asks Stripe about the link's payment and answers the link as it now is. */
export function confirmPayLink(token: string): Promise<PayLinkView> {
  return apiRequest<PayLinkView>(payLinkPath(token, "confirm"), { method: "POST", anonymous: true });
}

/** Confirms and puts the answer where the page reads the link from. */
export function useConfirmPayLink(token: string) {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    const view = await confirmPayLink(token);
    queryClient.setQueryData(payLinkKeys.view(token), view);
    return view;
  }, [queryClient, token]);
}
