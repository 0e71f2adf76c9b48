/** Moved to core/signal/butterworth.ts (product code uses it); kept here for the bench's imports. */
export * from '../../core/signal/butterworth';
