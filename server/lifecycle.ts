/** Where the process is in its life: set to draining on SIGTERM, read by `/ready`. */
export interface Lifecycle {
  draining: boolean;
}
