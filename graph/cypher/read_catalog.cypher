// The version of the store's set of loaded documents: every statement that changes a Document sets it anew;
// `unfinished` is true while a run that writes derived edges before their claims has not ended.
// Example answer: {version: 'a41994c0f15f49c096597d1a017c46aa', unfinished: null}; no row before any document
// was written.
MATCH (c:Catalog {id: 'documents'})
RETURN c.version AS version, c.unfinished AS unfinished
