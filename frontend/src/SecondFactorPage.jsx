// /second-factor: the Passwordless prebuilt UI (phone, code typed by the user), for a
// session that has the first factor but not yet the `2fa-completed` claim.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import Passwordless from "supertokens-auth-react/recipe/passwordless";
import {
  PasswordlessPreBuiltUI,
} from "supertokens-auth-react/recipe/passwordless/prebuiltui";
import {
  SessionAuth,
  useSessionContext,
} from "supertokens-auth-react/recipe/session";
import { AuthPage, AuthPageTheme } from "supertokens-auth-react/ui";
import STGeneralError from "supertokens-web-js/utils/error";

import { signOut } from "./signOut.js";

// [page]
export function SecondFactorPage() {
  const navigate = useNavigate();
  return (
    // A session is needed (else: /auth), but not the claim this page sets.
    <SessionAuth overrideGlobalClaimValidators={() => []}>
      <AuthPage
        preBuiltUIList={[PasswordlessPreBuiltUI]}
        factors={["otp-phone"]}
        redirectOnSessionExists={false}
        navigate={navigate}
      >
        <WithEnrolledPhone />
      </AuthPage>
      <p className="below">
        <button className="link" onClick={() => signOut(navigate)}>Sign out</button>
      </p>
    </SessionAuth>
  );
}
// [/page]

// [phone]
// The prebuilt UI, once the code is on its way to the enrolled phone (if there is one).
function WithEnrolledPhone(props) {
  const session = useSessionContext();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (session.loading) return;
    let gone = false;
    startFlowOnEnrolledPhone(session.accessTokenPayload)
      .then((started) => started && !gone && props.rebuildAuthPage())
      .catch((error) => !gone && props.onError(messageOf(error)))
      .finally(() => !gone && setReady(true));
    return () => {
      gone = true;
    };
  }, [session.loading]);
  return ready ? <AuthPageTheme {...props} /> : null;
}

// A returning user's phone is in the access-token payload (the guide's step 5), so
// the code is sent to it at once and the UI opens on the code screen: the phone is
// not asked for again. A first-time user gets the phone form. Returns whether a
// code was sent.
async function startFlowOnEnrolledPhone(payload) {
  const attempt = await Passwordless.getLoginAttemptInfo();
  const thisSessionsFlow = payload.otpPreAuthSessionId; // set by the backend
  if (attempt !== undefined && attempt.preAuthSessionId === thisSessionsFlow) {
    return false; // this session's code is on its way: keep its code screen
  }
  await Passwordless.clearLoginAttemptInfo(); // another session's flow, if any
  const phoneNumber = payload.phoneNumber;
  if (typeof phoneNumber !== "string") return false;
  const result = await Passwordless.createCode({
    phoneNumber,
    shouldTryLinkingWithSessionUser: false, // a second factor, not an account to link
    userContext: {
      // What the prebuilt UI keeps of a flow it started itself, for its code screen.
      additionalAttemptInfo: {
        lastResend: Date.now(),
        contactMethod: "PHONE",
        contactInfo: phoneNumber,
      },
    },
  });
  if (result.status !== "OK") throw new STGeneralError(result.reason);
  return true;
}
// [/phone]

// [refusal]
// The backend's refusals are GENERAL_ERROR answers: their message is shown as is.
function messageOf(error) {
  if (STGeneralError.isThisError(error)) return error.message;
  return "SOMETHING_WENT_WRONG_ERROR"; // the UI's own "Something went wrong"
}
// [/refusal]
