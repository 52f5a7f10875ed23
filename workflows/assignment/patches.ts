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
  /**
   * A queued update is checked again once it holds the workflow's lock: a retried acknowledge that waited behind
   * the first one is refused instead of recorded twice (found by the cluster fault test, docs/operations.md).
   */
  revalidateUnderLock: 'revalidate-under-lock',
  /**
   * Reminders count as stale when due before the workflow started, not before the 'assigned' notice was
   * recorded: on a busy worker a reminder falling due in between was dropped (docs/operations.md).
   */
  staleRemindersAsOfStart: 'stale-reminders-as-of-start',
  /**
   * The 'assigned' transition and each ladder step project and notify in one activity (projectAndNotify)
   * instead of projectAssignment then requestNotification: one activity and one workflow task fewer per step
   * for the server (docs/operations.md, "One activity a step").
   */
  oneActivityPerStep: 'one-activity-per-step',
} as const;
