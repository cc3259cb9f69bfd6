import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { Readiness } from "@/lib/api-types";

export function getReadiness(signal?: AbortSignal): Promise<Readiness> {
  return api.get<Readiness>("/health/ready", undefined, signal);
}

export function useReadiness() {
  return useQuery({ queryKey: ["readiness"], queryFn: ({ signal }) => getReadiness(signal), staleTime: 60_000 });
}
