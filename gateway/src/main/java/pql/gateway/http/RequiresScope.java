package pql.gateway.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import pql.gateway.auth.Scope;

/**
 * The API key scopes an HTTP resource method accepts, any one of them being enough (checked by
 * {@link ApiKeyAuthFeature}): e.g. the dashboard's reads take their own scope or dashboard:read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    Scope[] value();
}
