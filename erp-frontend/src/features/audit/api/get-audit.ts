import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { AuditEntry } from "@/lib/api-types";

export function getAuditTrail(entityId: string, signal?: AbortSignal): Promise<AuditEntry[]> {
  return api.get<AuditEntry[]>("/api/v1/audit", { entity_id: entityId }, signal);
}

export function useAuditTrail(entityId: string, refreshKey: unknown = null) {
  return useQuery({
    queryKey: ["audit", entityId, refreshKey],
    queryFn: ({ signal }) => getAuditTrail(entityId, signal),
  });
}
