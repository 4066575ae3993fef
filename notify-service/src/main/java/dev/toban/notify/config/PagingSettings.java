package dev.toban.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The waking channels (sms, voice, push): which providers send them, in which order, and how often one
 * number or topic may be reached (docs/operations.md "Phone, SMS and push"). A provider without its
 * credentials is off; a channel with no provider on records its deliveries as skipped.
 */
@ConfigMapping(prefix = "toban.notify.paging")
public interface PagingSettings {

    /** SMS providers in fallback order: {@code twilio}, {@code http}. The next one is tried when one fails. */
    @WithDefault("twilio,http")
    List<String> smsProviders();

    /** Voice providers in fallback order (only {@code twilio} today). */
    @WithDefault("twilio")
    List<String> voiceProviders();

    Twilio twilio();

    SmsHttp smsHttp();

    Ntfy ntfy();

    RateLimits rateLimits();

    interface Twilio {
        /** Twilio's REST API; a test points it at the fake. */
        @WithDefault("https://api.twilio.com")
        String apiUrl();

        /** Env {@code TWILIO_ACCOUNT_SID}; without it (or the token or the number) Twilio is off. */
        Optional<String> accountSid();

        /** Env {@code TWILIO_AUTH_TOKEN}: Basic auth of API calls and the key of X-Twilio-Signature. */
        Optional<String> authToken();

        /** Env {@code TWILIO_FROM_NUMBER}: the E.164 number messages and calls come from. */
        Optional<String> fromNumber();

        /** Timeout of one API call. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** A generic SMS gateway: one JSON POST per message. */
    interface SmsHttp {
        /** Env {@code TOBAN_SMS_HTTP_URL}; without it the provider is off. */
        Optional<String> url();

        /** The JSON body; {@code {to}} and {@code {body}} are replaced by the JSON-escaped number and text. */
        @WithDefault("{\"to\":\"{to}\",\"text\":\"{body}\"}")
        String bodyTemplate();

        /** Env {@code TOBAN_SMS_HTTP_AUTH_HEADER}: name of an auth header, e.g. Authorization. */
        Optional<String> authHeader();

        /** Env {@code TOBAN_SMS_HTTP_AUTH_VALUE}: its value (a secret). */
        Optional<String> authValue();

        @WithDefault("10s")
        Duration timeout();
    }

    /** Push through ntfy: the topic URL is the person's push contact method. */
    interface Ntfy {
        /** Push is on unless turned off; it needs no account. */
        @WithDefault("true")
        boolean enabled();

        /** Env {@code TOBAN_NTFY_TOKEN}: sent as {@code Authorization: Bearer} to a server with access control. */
        Optional<String> token();

        @WithDefault("10s")
        Duration timeout();
    }

    /**
     * At most this many pages per number (or topic, Slack user, email address) and channel within {@code window},
     * like GoAlert's; pages over the limit are folded into one summary sent when the window frees. Slack DMs and
     * emails are limited too, so a storm sends each on-call one summary instead of a message per incident.
     */
    interface RateLimits {
        @WithDefault("15m")
        Duration window();

        @WithDefault("5")
        int sms();

        @WithDefault("3")
        int voice();

        @WithDefault("10")
        int push();

        /** Page DMs per Slack user. */
        @WithDefault("20")
        int slack();

        /** Page emails per address. */
        @WithDefault("20")
        int email();
    }
}
