/** The connection fields the Connection tab shows, by the names the core uses. */
export const CONNECTION_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'tenant_url',
  'token',
  'directory_id',
  'notes',
]);

const LABELS: Record<string, string> = {
  name: 'Name',
  tenant_url: 'Tenant URL',
  token: 'Bearer token',
  directory_id: 'Directory',
  notes: 'Notes',
};

/** How a field the core names is called on screen: "Tenant URL", "Mapping 3: target". */
export function connectionFieldLabel(field: string): string {
  const known = LABELS[field];
  if (known !== undefined) return known;
  const row = /^(?:mappings\.)?mappings\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (row?.[1] !== undefined) {
    const part = row[2] === undefined ? '' : `: ${row[2].replaceAll('.', ' ')}`;
    return `Mapping ${Number(row[1]) + 1}${part}`;
  }
  return field.startsWith('mappings') ? 'Mappings' : field;
}
