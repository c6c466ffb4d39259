import { DomainError } from '../ticket/errors.js';

export const SlaErrors = {
  unknownCalendar: (calendar: string) => new DomainError('CALENDAR_UNKNOWN', `Calendar ${calendar} is not defined.`, 'rule', { calendar }),
};
