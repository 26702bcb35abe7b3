"""Claims of the seeded people, and the faults a test asks for (another nonce, audience or signing key)."""

import json

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_idp import people


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every seeded claim is returned, as the real services do for the scopes asked

    def get_additional_claims(self, request):
        return dict(people.CLAIMS.get(request.user.username, {}))

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        fault = people.FAULTS.get(request.user.username)
        if not fault:
            return signed
        parsed = jwt.JWT(jwt=signed, key=request.client.jwk_key)
        claims = json.loads(parsed.claims)
        header = json.loads(parsed.header)
        key = request.client.jwk_key
        if fault == "nonce":
            claims["nonce"] = "another-nonce"
        elif fault == "audience":
            claims["aud"] = "another-client"
        elif fault == "signature":
            key = jwk.JWK.generate(kty="RSA", size=2048)
        forged = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
        forged.make_signed_token(key)
        return forged.serialize()

    def get_userinfo_claims(self, request):
        """FranceConnect answers the userinfo as a signed JWT: the test client named so gets one too."""
        claims = super().get_userinfo_claims(request)
        if request.client.client_id != "franceconnect":
            return claims
        claims = {**claims, "iss": self.get_oidc_issuer_endpoint(request), "aud": request.client.client_id}
        fault = people.FAULTS.get(request.user.username)
        key = request.client.jwk_key
        if fault == "userinfo_subject":
            claims["sub"] = "someone-else"
        elif fault == "userinfo_signature":
            key = jwk.JWK.generate(kty="RSA", size=2048)
        header = {"typ": "JWT", "alg": "RS256", "kid": request.client.jwk_key.thumbprint()}
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims, default=str))
        signed.make_signed_token(key)
        return signed.serialize()
