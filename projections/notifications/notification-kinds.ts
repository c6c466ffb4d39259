/**
 * What a notification is about (its `kind`): stable strings that webhook receivers and SSE
 * clients switch on. Keyed by the stored event type, so the projection maps a type this build
 * cannot decode yet (TicketBreachWarned, issue 11's warnings) and ignores every other type.
 */
export const NOTIFICATION_KIND_BY_EVENT_TYPE = {
  TicketDelayed: 'ticket.delayed',
  TicketEscalated: 'ticket.escalated',
  TicketRouted: 'ticket.routed',
  TicketClosed: 'ticket.closed',
  TicketBreachWarned: 'ticket.breach_warned',
} as const;

export type NotificationKind = (typeof NOTIFICATION_KIND_BY_EVENT_TYPE)[keyof typeof NOTIFICATION_KIND_BY_EVENT_TYPE];

export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NOTIFICATION_KIND_BY_EVENT_TYPE);

export function isNotificationKind(kind: string): kind is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

export function notificationKindOf(eventType: string): NotificationKind | undefined {
  return Object.hasOwn(NOTIFICATION_KIND_BY_EVENT_TYPE, eventType)
    ? NOTIFICATION_KIND_BY_EVENT_TYPE[eventType as keyof typeof NOTIFICATION_KIND_BY_EVENT_TYPE]
    : undefined;
}
