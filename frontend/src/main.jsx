// The demo app: SuperTokens' prebuilt UI for the first factor (email and password, on
// /auth) and for the second (a code sent to the phone, on /second-factor).
import { createRoot } from "react-dom/client";
import * as reactRouterDom from "react-router-dom";
import { BrowserRouter, Route, Routes, useNavigate } from "react-router-dom";
import SuperTokens, { SuperTokensWrapper } from "supertokens-auth-react";
import EmailPassword from "supertokens-auth-react/recipe/emailpassword";
import {
  EmailPasswordPreBuiltUI,
} from "supertokens-auth-react/recipe/emailpassword/prebuiltui";
import Passwordless from "supertokens-auth-react/recipe/passwordless";
import Session from "supertokens-auth-react/recipe/session";
import {
  AuthPage,
  getSuperTokensRoutesForReactRouterDom,
} from "supertokens-auth-react/ui";

import { HomePage } from "./HomePage.jsx";
import { SecondFactorPage } from "./SecondFactorPage.jsx";
import { requireSecondFactor } from "./secondFactorClaim.js";
import { apiDomain, tokenTransferMethod } from "./settings.js";

// The phone input's country flags, from this site rather than the SDK's CDN.
const FLAGS_FROM_THIS_SITE = `
  .iti__flag { background-image: url("/flags.png") !important; }
  @media (min-resolution: 2dppx) {
    .iti__flag { background-image: url("/flags@2x.png") !important; }
  }
`;

// [init]
SuperTokens.init({
  appInfo: {
    appName: "Phone 2FA example",
    apiDomain,
    websiteDomain: window.location.origin,
    apiBasePath: "/auth",
    websiteBasePath: "/auth",
  },
  // /auth is SignInPage below: it offers email and password only, never the phone.
  disableAuthRoute: true,
  languageTranslations: {
    translations: {
      en: { AUTH_PAGE_HEADER_TITLE_SIGN_IN_AND_UP: "Your phone" },
    },
  },
  recipeList: [
    EmailPassword.init(),
    Passwordless.init({ contactMethod: "PHONE", style: FLAGS_FROM_THIS_SITE }),
    Session.init({
      tokenTransferMethod,
      override: { functions: requireSecondFactor },
    }),
  ],
});
// [/init]

function SignInPage() {
  const navigate = useNavigate();
  return (
    <AuthPage
      preBuiltUIList={[EmailPasswordPreBuiltUI]}
      factors={["emailpassword"]}
      useSignUpStateFromQueryString={true} // /auth?show=signup: the sign-up form
      navigate={navigate}
    />
  );
}

// [routes]
function App() {
  return (
    <SuperTokensWrapper>
      <BrowserRouter>
        <Routes>
          {/* the password reset pages, under /auth */}
          {getSuperTokensRoutesForReactRouterDom(reactRouterDom, [
            EmailPasswordPreBuiltUI,
          ])}
          <Route path="/auth" element={<SignInPage />} />
          <Route path="/second-factor" element={<SecondFactorPage />} />
          <Route path="/" element={<HomePage />} />
        </Routes>
      </BrowserRouter>
    </SuperTokensWrapper>
  );
}
// [/routes]

createRoot(document.getElementById("root")).render(<App />);
