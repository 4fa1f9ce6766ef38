// The API's vocabulary (GET /v1/vocabulary): event types in the order lanes and filters
// list them, precision ranks for the timeline order, the types the responses view answers.
// Defined once, in newsline_vocabulary; the dashboard keeps no copy of it.

/** Filled by loadVocabulary() before the dashboard renders; empty until then. */
export const vocabulary = {
  event_types: [], subtypes: [], date_precisions: [], date_bases: [], precision_rank: {},
  timeline_order: [], response_triggers: [],
};

/**
 * Read the vocabulary once. The browser's cache may answer (the API says it keeps an
 * hour). Unreadable: the lists stay empty, so filters offer "all types" only and no
 * view breaks; `false` says so.
 */
export async function loadVocabulary() {
  try {
    const resp = await fetch("/v1/vocabulary");
    if (!resp.ok) return false;
    Object.assign(vocabulary, await resp.json());
    return true;
  } catch {
    return false;
  }
}
