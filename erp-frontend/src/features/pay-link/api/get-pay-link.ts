import { useQuery } from "@tanstack/react-query";
import { ApiError } from "@/lib/api-error";
import { apiRequest } from "@/lib/api-client";
import type { PayLinkView } from "@/lib/api-types";
import { payLinkKeys } from "./pay-link-keys";
import { payLinkPath } from "./pay-link-path";

export function getPayLink(token: string, signal?: AbortSignal): Promise<PayLinkView> {
  return apiRequest<PayLinkView>(payLinkPath(token), { anonymous: true, signal });
}

/** While the bank is still deciding, the page asks again every two seconds until it knows. */
export function usePayLink(token: string) {
  return useQuery({
    queryKey: payLinkKeys.view(token),
    queryFn: ({ signal }) => getPayLink(token, signal),
    retry: (failures, error) => !(error instanceof ApiError && error.status === 404) && failures < 2,
    refetchOnWindowFocus: false,
    refetchInterval: (query) => (query.state.data?.payment_status === "processing" ? 2000 : false),
  });
}
