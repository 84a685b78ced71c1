/** A native select of Jira's issue types, where empty is "the default" (and a stored name Jira no longer lists stays choosable). */
export function IssueTypeSelect({ id, value, issueTypes, defaultName, onChange }: { id: string; value: string; issueTypes: string[]; defaultName: string; onChange: (name: string) => void }) {
  const names = value && !issueTypes.includes(value) ? [...issueTypes, value] : issueTypes;
  return (
    <select className="ds-select" id={id} data-testid={id} aria-describedby={`${id}-help`} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{defaultName} (the default)</option>
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}
