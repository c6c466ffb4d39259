import { DomainError } from '../ticket/errors.js';
import type { ReferenceCatalogue, Versioned } from './catalogue.js';
import type { DefineReference, ReferenceCommand, ReferenceDecideContext } from './commands.js';
import { canonicalJson } from './canonical-json.js';
import { decideReference } from './decide.js';
import type {
  CalendarVersionDefinition,
  CategoryDefinition,
  ChannelDefinition,
  CustomerTierDefinition,
  EscalationRuleVersionDefinition,
  PriorityDefinition,
  ReferenceKind,
  SlaPolicyVersionDefinition,
  UnitDefinition,
  UserDefinition,
} from './definitions.js';
import { ReferenceErrors } from './errors.js';
import type { ReferenceEvent } from './events.js';
import { evolveCatalogue } from './evolve.js';
import { validateDefinition } from './validate.js';

/**
 * The whole reference data as one document: what `GET /admin/reference` answers, `cli ref
 * export` writes and `PUT /admin/reference` / `cli ref import` read (JSON or YAML; the JSON
 * Schema is docs/schemas/reference-data.schema.json). Entities by id; calendars and policies as
 * their version lists, oldest first, a policy's retirement being a version of its own.
 */
export interface RetiredVersion {
  retired: true;
  effectiveFrom: string;
}

export interface ReferenceDocument {
  units: Record<string, UnitDefinition>;
  users: Record<string, UserDefinition>;
  categories: Record<string, CategoryDefinition>;
  priorities: Record<string, PriorityDefinition>;
  channels: Record<string, ChannelDefinition>;
  customerTiers: Record<string, CustomerTierDefinition>;
  calendars: Record<string, CalendarVersionDefinition[]>;
  slaPolicies: Record<string, Array<SlaPolicyVersionDefinition | RetiredVersion>>;
  escalationRules: Record<string, Array<EscalationRuleVersionDefinition | RetiredVersion>>;
}

/** The document's section of each kind, in the order an import defines them (links point backwards). */
export const DOCUMENT_SECTIONS = [
  ['calendar', 'calendars'],
  ['unit', 'units'],
  ['user', 'users'],
  ['category', 'categories'],
  ['priority', 'priorities'],
  ['channel', 'channels'],
  ['customerTier', 'customerTiers'],
  ['slaPolicy', 'slaPolicies'],
  ['escalationRule', 'escalationRules'],
] as const satisfies ReadonlyArray<readonly [ReferenceKind, keyof ReferenceDocument]>;

function sortedEntries<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function versionLists<D extends { effectiveFrom: string }>(
  map: ReadonlyMap<string, readonly Versioned<D>[]>,
): Record<string, Array<D | RetiredVersion>> {
  return sortedEntries(
    new Map(
      [...map].map(([id, versions]) => [
        id,
        versions.map((version): D | RetiredVersion =>
          version.retired ? { retired: true, effectiveFrom: version.definition.effectiveFrom } : version.definition,
        ),
      ]),
    ),
  );
}

export function toDocument(catalogue: ReferenceCatalogue): ReferenceDocument {
  return {
    units: sortedEntries(catalogue.units),
    users: sortedEntries(catalogue.users),
    categories: sortedEntries(catalogue.categories),
    priorities: sortedEntries(catalogue.priorities),
    channels: sortedEntries(catalogue.channels),
    customerTiers: sortedEntries(catalogue.customerTiers),
    calendars: sortedEntries(
      new Map([...catalogue.calendars].map(([id, versions]) => [id, versions.map((version) => version.definition)])),
    ),
    slaPolicies: versionLists(catalogue.slaPolicies),
    escalationRules: versionLists(catalogue.escalationRules),
  };
}

export interface ImportPlan {
  /** the events to append, in order, each with the entity whose stream takes it */
  events: Array<{ kind: ReferenceKind; id: string; event: ReferenceEvent }>;
  /** entities (or versions) the document states exactly as they stand */
  unchanged: number;
  catalogue: ReferenceCatalogue;
}

/** Parents before children, so a tree imports in one pass whatever order the file lists it in. */
function parentsFirst<D>(entries: Array<[string, D]>, parentOf: (definition: D) => unknown): Array<[string, D]> {
  const byId = new Map(entries);
  const ordered: Array<[string, D]> = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (id: string, definition: D): void => {
    if (placed.has(id) || visiting.has(id)) return;
    visiting.add(id);
    const parent = parentOf(definition);
    const parentDefinition = typeof parent === 'string' ? byId.get(parent) : undefined;
    if (typeof parent === 'string' && parentDefinition !== undefined) place(parent, parentDefinition);
    placed.add(id);
    ordered.push([id, definition]);
  };
  for (const [id, definition] of entries) place(id, definition);
  return ordered;
}

function field(definition: unknown, key: string): unknown {
  return typeof definition === 'object' && definition !== null ? (definition as Record<string, unknown>)[key] : undefined;
}

function atPath(error: DomainError, path: string): DomainError {
  const inner = typeof error.details.field === 'string' ? error.details.field : '';
  const where = inner === 'definition' ? path : inner.startsWith('definition.') ? `${path}${inner.slice('definition'.length)}` : path;
  const reason = inner !== '' && error.message.startsWith(`${inner}:`) ? error.message.slice(inner.length + 1).trim() : error.message;
  return new DomainError(error.code, `${where}: ${reason}`, error.kind, { ...error.details, field: where });
}

/**
 * Decides a whole document against the catalogue, every entity in turn on the catalogue the
 * earlier ones leave: the events to append, or the first error with its path in the document
 * (`users.deniz.memberships[0].unit`). Nothing is appended until the whole plan stands.
 * Entities the document leaves out are kept (an import adds and changes, it never retires).
 * A version list must repeat the stored versions as they are and may add new ones at its end.
 */
export function planImport(
  catalogue: ReferenceCatalogue,
  document: Partial<ReferenceDocument>,
  context: ReferenceDecideContext,
): ImportPlan | DomainError {
  const plan: ImportPlan = { events: [], unchanged: 0, catalogue };
  const apply = (command: ReferenceCommand, path: string): DomainError | null => {
    const decision = decideReference(plan.catalogue, command, context);
    if (decision instanceof DomainError) return atPath(decision, path);
    if (decision.length === 0) plan.unchanged += 1;
    for (const event of decision) {
      plan.events.push({ kind: command.kind, id: command.id, event });
      plan.catalogue = evolveCatalogue(plan.catalogue, event);
    }
    return null;
  };
  for (const [kind, section] of DOCUMENT_SECTIONS) {
    const entries = Object.entries(document[section] ?? {}) as Array<[string, unknown]>;
    if (kind === 'calendar' || kind === 'slaPolicy' || kind === 'escalationRule') {
      for (const [id, versions] of entries) {
        if (!Array.isArray(versions)) return ReferenceErrors.invalid(`${section}.${id}`, 'must be a list of versions, oldest first');
        const stored = versionsOf(plan.catalogue, kind, id);
        for (const [index, version] of versions.entries()) {
          const path = `${section}.${id}[${index}]`;
          const existing = stored[index];
          if (existing !== undefined) {
            const same = existing.retired
              ? field(version, 'retired') === true && field(version, 'effectiveFrom') === existing.definition.effectiveFrom
              : canonicalJson(normalized(kind, version)) === canonicalJson(existing.definition);
            if (!same) {
              return ReferenceErrors.invalid(
                path,
                `differs from the stored version ${existing.version}; versions are history: add a new one at the end`,
              );
            }
            plan.unchanged += 1;
            continue;
          }
          const command: ReferenceCommand =
            field(version, 'retired') === true
              ? { type: 'RetireReference', kind, id, effectiveFrom: field(version, 'effectiveFrom') as string }
              : ({ type: 'DefineReference', kind, id, definition: version } as DefineReference);
          const error = apply(command, path);
          if (error) return error;
        }
      }
      continue;
    }
    const ordered =
      kind === 'unit'
        ? parentsFirst(entries, (definition) => field(definition, 'parentUnit'))
        : kind === 'category'
          ? parentsFirst(entries, (definition) => field(definition, 'parent'))
          : entries;
    for (const [id, definition] of ordered) {
      const error = apply({ type: 'DefineReference', kind, id, definition } as DefineReference, `${section}.${id}`);
      if (error) return error;
    }
  }
  return plan;
}

function versionsOf(
  catalogue: ReferenceCatalogue,
  kind: 'calendar' | 'slaPolicy' | 'escalationRule',
  id: string,
): ReadonlyArray<Versioned<{ effectiveFrom: string }>> {
  switch (kind) {
    case 'calendar':
      return catalogue.calendars.get(id) ?? [];
    case 'slaPolicy':
      return catalogue.slaPolicies.get(id) ?? [];
    case 'escalationRule':
      return catalogue.escalationRules.get(id) ?? [];
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

/** The file's version as the decider would store it (normalized), to compare with a stored one; as written when it is invalid. */
function normalized(kind: 'calendar' | 'slaPolicy' | 'escalationRule', version: unknown): unknown {
  try {
    return validateDefinition(kind, version);
  } catch (error) {
    if (error instanceof DomainError) return version;
    throw error;
  }
}
