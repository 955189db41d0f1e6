package pql.gateway.http.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a getter that writes raw JSON ({@code @JsonRawValue}): it is an array of this proto message
 * in proto3 JSON, for the OpenAPI document (reflection cannot see into a raw string).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JsonArrayOf {
    Class<? extends com.google.protobuf.Message> value();
}
