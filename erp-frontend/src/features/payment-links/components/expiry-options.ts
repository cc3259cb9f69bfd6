/** How long a new link stays open, in hours (the service takes 1 to 720). */
export const EXPIRY_OPTIONS = [
  { value: "1", label: "1 hour" },
  { value: "24", label: "1 day" },
  { value: "72", label: "3 days" },
  { value: "168", label: "7 days" },
  { value: "336", label: "14 days" },
  { value: "720", label: "30 days" },
];

export const DEFAULT_EXPIRY_HOURS = "168";
