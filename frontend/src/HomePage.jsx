// /: the protected page, shown only to a session with both factors.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { SessionAuth } from "supertokens-auth-react/recipe/session";

import { apiDomain } from "./settings.js";
import { signOut } from "./signOut.js";

export function HomePage() {
  return (
    <SessionAuth>
      <Me />
    </SessionAuth>
  );
}

// [me]
function Me() {
  const navigate = useNavigate();
  const [me, setMe] = useState(undefined);
  useEffect(() => {
    // The SDK's fetch sends the session along (cookies or headers) and refreshes it.
    fetch(`${apiDomain}/api/me`)
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return null;
  if (me === null) return <p role="alert">GET /api/me failed.</p>;
  return (
    <main className="card">
      <h1>Both factors done</h1>
      <p>GET /api/me answered:</p>
      <dl>
        <dt>User</dt>
        <dd id="user-id">{me.userId}</dd>
        <dt>Phone</dt>
        <dd id="phone-number">{me.phoneNumber}</dd>
      </dl>
      <button onClick={() => signOut(navigate)}>Sign out</button>
    </main>
  );
}
// [/me]
