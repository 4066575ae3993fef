package dev.toban.notify.paging;

import dev.toban.plumbing.web.Pages;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts of SMS, calls and push in ja and en ({@code paging/paging_*.properties}): too short and too
 * fixed for the editable templates. Placeholders {@code {0}}.. are replaced literally (no MessageFormat
 * quoting rules, so an apostrophe is just an apostrophe). Read as plain UTF-8 properties like the page texts,
 * not a ResourceBundle, so a native image needs only the resource itself.
 */
public final class PagingTexts {

    private static final Map<String, Map<String, String>> TEXTS = new ConcurrentHashMap<>();

    private PagingTexts() {
    }

    public static String t(String locale, String key, Object... args) {
        String lang = "en".equals(locale) ? "en" : "ja";
        String text = TEXTS.computeIfAbsent(lang, l -> Pages.readTexts("paging/paging_" + l + ".properties", true)).get(key);
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
}
