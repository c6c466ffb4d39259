/**
 * Background work on the event log that both the projector and a single-process API run: the SLA
 * watchdog (delays written when a due time passes) and the webhook deliverer (the notification
 * outbox sent, signed, with retries). One instance of each is active at a time.
 */
export { Watchdog, type DeadlineOutcome, type WatchdogLog, type WatchdogLogLevel, type WatchdogOptions } from './watchdog/watchdog.js';
export {
  Deliverer,
  type DelivererLog,
  type DelivererLogLevel,
  type DelivererOptions,
  type RoundOutcome,
} from './notifications/deliverer.js';
export { notificationBody, type NotificationBody, type NotificationRecord } from './notifications/notification-body.js';
export {
  DELIVERY_STATUSES,
  NotificationQueries,
  type DeliveryStatus,
  type DeliveryView,
  type NotificationFilter,
  type NotificationPage,
  type NotificationView,
} from './notifications/notification-queries.js';
export { isLastAttempt, retryDelayMs, type RetrySettings } from './notifications/retry-schedule.js';
export { migrateNotifications } from './notifications/schema.js';
export { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './notifications/signature.js';
export { generateWebhookSecret, Webhooks, type CreatedWebhook, type WebhookView } from './notifications/webhooks.js';
export { SessionLock } from './session-lock.js';
