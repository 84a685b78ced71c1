/** The kinds of drill and their names: no imports, so front ends can take them without the domain's libraries. */
export const DRILL_KINDS = ['tabletop', 'simulation', 'fail-over'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

export const DRILL_KIND_NAMES: Readonly<Record<DrillKind, string>> = {
  tabletop: 'Tabletop exercise',
  simulation: 'Simulation',
  'fail-over': 'Fail-over test',
};
