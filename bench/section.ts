/** What each measurement hands back to the report: a table, its targets and the commands it ran. */

/** One target of the issue, checked. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** The result of one measurement. */
export interface Section {
  /** The measurement's name, as `--only` takes it. */
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
  targets: TargetCheck[];
  /** The exact commands, with secrets as $KEY. */
  commands: string[];
  notes: string[];
  /** Raw medians, for bench/.work/results.json. */
  raw: Record<string, unknown>;
}
