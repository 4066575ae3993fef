package dev.toban.plumbing.web;

import dev.toban.plumbing.problem.ProblemException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Boolean parameters are {@code true} or {@code false} (any case, or 1 and 0), or absent: JAX-RS would read
 * {@code ?includeArchived=maybe} as false and answer 200. Anything else is a 400 naming the parameter.
 */
@Provider
public class StrictParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != Boolean.class && rawType != boolean.class) {
            return null;
        }
        String name = nameOf(annotations);
        return (ParamConverter<T>) new ParamConverter<Boolean>() {
            @Override
            public Boolean fromString(String value) {
                if (value == null || value.isBlank()) {
                    return rawType == boolean.class ? Boolean.FALSE : null;
                }
                String v = value.strip();
                if ("true".equalsIgnoreCase(v) || "1".equals(v)) {
                    return Boolean.TRUE;
                }
                // RESTEasy Reactive hands a missing primitive parameter over as "0"
                if ("false".equalsIgnoreCase(v) || "0".equals(v)) {
                    return Boolean.FALSE;
                }
                // a WebApplicationException passes through as it is (JAX-RS turns others into 404 for query params)
                throw new WebApplicationException(
                        ProblemException.invalid(name, "must be true or false").toProblem().toResponse());
            }

            @Override
            public String toString(Boolean value) {
                return String.valueOf(value);
            }
        };
    }

    private static String nameOf(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                return q.value();
            }
            if (a instanceof PathParam p) {
                return p.value();
            }
            if (a instanceof FormParam f) {
                return f.value();
            }
            if (a instanceof HeaderParam h) {
                return h.value();
            }
        }
        return "parameter";
    }
}
