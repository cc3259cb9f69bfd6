export const payLinkKeys = {
  view: (token: string) => ["pay-link", token] as const,
};
