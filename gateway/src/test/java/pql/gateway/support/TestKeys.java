package pql.gateway.support;

import pql.gateway.auth.ApiKeys;

/** One key per scope (and an admin), generated per test run like real keys. */
public final class TestKeys {

    public static final String INGESTER = ApiKeys.generate();
    public static final String READER = ApiKeys.generate();
    public static final String FINANCE = ApiKeys.generate();
    public static final String ADMIN = ApiKeys.generate();
    /** keys:admin only: manages runtime keys. */
    public static final String KEYMASTER = ApiKeys.generate();
    /** The admin port's scope only. */
    public static final String OPERATOR = ApiKeys.generate();

    private TestKeys() {
    }

    /** The {@code auth:} YAML section holding their hashes, as an operator would write it. */
    public static String authYaml() {
        return """
                auth:
                  apiKeys:
                    - name: ingester
                      sha256: %s
                      scopes: [ingest:write]
                    - name: reader
                      sha256: %s
                      scopes: [scores:read]
                    - name: finance
                      sha256: %s
                      scopes: [forecast:read]
                    - name: admin
                      sha256: %s
                      scopes: [scores:read, definitions:admin]
                    - name: operator
                      sha256: %s
                      scopes: [admin]
                    - name: keymaster
                      sha256: %s
                      scopes: [keys:admin]
                """.formatted(ApiKeys.sha256Hex(INGESTER), ApiKeys.sha256Hex(READER), ApiKeys.sha256Hex(FINANCE),
                ApiKeys.sha256Hex(ADMIN), ApiKeys.sha256Hex(OPERATOR), ApiKeys.sha256Hex(KEYMASTER));
    }
}
