package pql.gateway.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a resource from {@link StrictQueryParameters}: only for protocols that are not ours
 * (Segment's), whose senders may add parameters we must not refuse.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AnyQueryParameters {
}
