package dev.toban.notify.paging;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts of SMS, calls and push in ja and en ({@code paging/paging_*.properties}): too short and too
 * fixed for the editable templates. Placeholders {@code {0}}.. are replaced literally (no MessageFormat
 * quoting rules, so an apostrophe is just an apostrophe). Read as plain UTF-8 properties, not a
 * ResourceBundle, so a native image needs only the resource itself.
 */
public final class PagingTexts {

    private static final Map<String, Properties> TEXTS = new ConcurrentHashMap<>();

    private PagingTexts() {
    }

    public static String t(String locale, String key, Object... args) {
        String text = texts("en".equals(locale) ? "en" : "ja").getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("no paging text " + key);
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** The Say language of a call. */
    public static String voiceLanguage(String locale) {
        return "en".equals(locale) ? "en-US" : "ja-JP";
    }

    private static Properties texts(String lang) {
        return TEXTS.computeIfAbsent(lang, l -> {
            String path = "paging/paging_" + l + ".properties";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + path);
                }
                Properties properties = new Properties();
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                return properties;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        });
    }
}
