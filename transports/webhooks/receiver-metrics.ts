/** How delivery to one receiver goes, as this process sees it. */
export interface ReceiverMetrics {
  /** The receiver, as logs name it (no credentials). */
  readonly receiver: string;
  /** Whether this process holds the receiver's lease (delivers to it) now. */
  readonly delivering: boolean;
  /** Events the receiver answered with a 2xx, by this process. */
  readonly delivered: number;
  /** Events dropped after retrying past the retry window. */
  readonly failed: number;
  /** Failed attempts that were tried again. */
  readonly retries: number;
  /**
   * How far behind delivery is, in ms: `now` minus the time of the oldest event not yet delivered
   * (the one being tried), 0 when every event read so far is delivered; `undefined` while another
   * process delivers. Unlike the lag of the last delivery, it grows while the receiver is down.
   */
  readonly lagMs: number | undefined;
  /** For the last event delivered: when the 2xx came minus the event's time (`undefined` before the first). */
  readonly lastDeliveryLagMs: number | undefined;
}
