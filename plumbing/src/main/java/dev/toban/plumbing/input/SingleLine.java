package dev.toban.plumbing.input;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name or a title: one line of text, no line breaks or tabs (a CR/LF in a name would split a Slack
 * line, an email subject or an iCal property). Every JSON string is already refused with other control
 * characters or unpaired surrogates ({@code StrictJson}); this adds the single-line rule.
 */
@Documented
@Constraint(validatedBy = SingleLineValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD,
        ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface SingleLine {

    String message() default "must be a single line (no line breaks or tabs)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
