// What the server that serves this page says in /config.js: where the backend is, and
// whether the session travels in cookies or in headers ("cookie" or "header").
export const { apiDomain, tokenTransferMethod } = window.demoConfig;
