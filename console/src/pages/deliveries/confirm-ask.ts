/**
 * An action the page asks to confirm in a modal dialog (pause, resume, replay): its words, and what
 * confirming does. `run` answers what to announce; `error` marks an outcome that did not succeed
 * although the hub answered (a replay whose requests failed).
 */
export interface Ask {
  readonly title: string;
  readonly body: string;
  readonly confirmLabel: string;
  readonly run: () => Promise<{ readonly text: string; readonly error?: boolean }>;
}
