/**
 * Every behaviour change of the assignment workflow since its first release, as a patch id. A running
 * workflow keeps the behaviour it started with; once no workflow older than a patch is open, the old branch
 * can go (deprecatePatch first).
 */
/*
 * Not every change needs a patch: the 'amend' Update (plan amendments) is a new handler. Histories recorded
 * before it never carry an amend Update, so its commands only ever appear in histories that have one; the
 * replay suite proves both (assignment-ladder-approved.json from before, assignment-amended.json after).
 * A change to what existing code paths do on replay (a different activity, timer or order) always does.
 */
export const PATCHES = {
  /** completedAt is the accepted submission's time instead of the approval time. */
  completedAtIsSubmissionTime: 'completed-at-is-submission-time',
  /**
   * Work that starts already late (a plan activated after its deadlines) fires only its latest late step,
   * once, instead of the overdue notice and every escalation one after another (docs/activation.md).
   */
  lateStartCatchUp: 'late-start-catch-up',
} as const;
