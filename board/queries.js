// Every GraphQL operation the board sends, in one place: the board is a client of the public API only, and
// test/board/operations.test.ts validates each of these against the served schema.

/** The board's operations (a function so that each caller gets its own object). */
export function operations() {
  const ME = `query BoardMe {
    me { __typename ... on User { displayName username roles { role unit { id code name } } } }
  }`;

  const BRIEFING = `query Briefing {
    dutyBriefing {
      unit { id code name }
      openByStatus { status count }
      overdue majorOpen escalated receivedToday
      topCategories { category count }
      warnings supervisedOverdue openIncidents
    }
  }`;

  /** How far back the live panes start: after the registration of the HISTORY-th newest case. */
  const HISTORY = 20;

  /**
   * Where the live panes start: the registration of the HISTORY-th newest case the viewer reads. The feeds replay
   * what followed it, so the board opens with the recent events and alerts, and has a cursor to resume from before
   * its first live event arrives (D56: cursors are opaque; the board never makes one up).
   */
  const START = `query FeedStart {
    complaints(first: ${HISTORY}, orderBy: { field: REGISTERED_AT, direction: DESC }) { nodes { timeline(first: 1) { edges { cursor } } } }
  }`;

  const CASE_REF = 'id number title severity status handlingUnit { code name }';

  const FEED = `subscription BoardFeed($after: String) {
    complaintEvents(after: $after) {
      cursor action at fromStatus toStatus
      actor { __typename ... on User { displayName } ... on Partner { name } }
      complaint { ${CASE_REF} }
    }
  }`;

  const ALERTS = `subscription BoardAlerts($after: String) {
    slaAlerts(after: $after) { cursor kind clock dueAt at complaint { ${CASE_REF} } }
  }`;

  /** D76's alerts carry no cursor: the pane is live only (subscribed again after a drop, without a replay). */
  const HOTSPOTS = `subscription BoardHotspots {
    hotspotAlerts { unit { id code name } businessLine { code name } category windowStart count baseline at }
  }`;

  const CASE = `query BoardCase($id: ID!) {
    complaint(id: $id) {
      id number title description status severity category channel registeredAt acceptedAt version suspended escalationLevel
      handlingUnit { code name }
      businessLine { code name }
      customer { name phone address accountNumber masked }
      clocks { kind state startedAt dueAt stoppedAt }
      supervisionNotes { at note by { displayName } }
      viewerActions
      timeline(last: 50) { edges { cursor node { action at fromStatus toStatus note actor { __typename ... on User { displayName } ... on Partner { name } } } } }
    }
  }`;

  const PAYLOAD = 'complaint { id version } userErrors { code field message }';
  const SUPERVISION_NOTE = `mutation BoardSupervisionNote($input: ComplaintActionInput!) { addSupervisionNote(input: $input) { ${PAYLOAD} } }`;
  /** D73: a duty manager of the handling unit or above puts the case under supervision. */
  const OPEN_SUPERVISION = `mutation BoardOpenSupervision($input: ComplaintActionInput!) { openSupervision(input: $input) { ${PAYLOAD} } }`;
  /** D76: an incident opened from a hotspot alert. */
  const OPEN_INCIDENT = `mutation BoardOpenIncident($input: OpenIncidentInput!) { openIncident(input: $input) { incident { id title } userErrors { code field message } } }`;

  const LOGIN = `mutation BoardLogin($u: String!, $p: String!) { login(username: $u, password: $p) { token userErrors { code message } } }`;

  return {
    ME,
    LOGIN,
    BRIEFING,
    START,
    FEED,
    ALERTS,
    HOTSPOTS,
    CASE,
    SUPERVISION_NOTE,
    OPEN_SUPERVISION,
    OPEN_INCIDENT,
  };
}
