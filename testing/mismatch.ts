/** The store answered something the port does not allow; the message says what and where. */
export class StoreMismatchError extends Error {
  override readonly name = 'StoreMismatchError';
  constructor(operation: string, message: string) {
    super(`${operation}: ${message}`);
  }
}
