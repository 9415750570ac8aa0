// The backend's `2fa-completed` claim, as the frontend checks it.
import { BooleanClaim } from "supertokens-auth-react/recipe/session";

// [claim]
export const SecondFactorClaim = new BooleanClaim({
  id: "2fa-completed",
  // Nothing to fetch: only entering the code sets the claim, on the backend.
  refresh: async () => {},
  // Where a session without the claim is sent, from every protected page.
  onFailureRedirection: () => "/second-factor",
});

// Added to every page wrapped in <SessionAuth>, as the backend adds it to every API.
export function requireSecondFactor(originalImplementation) {
  return {
    ...originalImplementation,
    getGlobalClaimValidators: ({ claimValidatorsAddedByOtherRecipes }) => [
      ...claimValidatorsAddedByOtherRecipes,
      SecondFactorClaim.validators.isTrue(),
    ],
  };
}
// [/claim]
