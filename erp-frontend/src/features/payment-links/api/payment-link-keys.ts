export const paymentLinkKeys = {
  all: ["payment-links"] as const,
  forOrder: (orderId: string) => ["payment-links", orderId] as const,
};
