import Passwordless from "supertokens-auth-react/recipe/passwordless";
import Session from "supertokens-auth-react/recipe/session";

// Ends the session and forgets any code screen, so the next person on this browser
// starts at the sign-in form.
export async function signOut(navigate) {
  await Passwordless.clearLoginAttemptInfo();
  await Session.signOut();
  navigate("/auth");
}
