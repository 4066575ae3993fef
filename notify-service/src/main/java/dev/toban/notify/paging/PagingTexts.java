package dev.toban.notify.paging;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts of SMS, calls and push in ja and en ({@code paging/paging_*.properties}): too short and too
 * fixed for the editable templates. Placeholders {@code {0}}.. are replaced literally (no MessageFormat
 * quoting rules, so an apostrophe is just an apostrophe).
 */
public final class PagingTexts {

    private PagingTexts() {
    }

    public static String t(String locale, String key, Object... args) {
        ResourceBundle bundle = ResourceBundle.getBundle("paging.paging",
                "en".equals(locale) ? Locale.ENGLISH : Locale.JAPANESE, ResourceBundle.Control.getNoFallbackControl(
                        ResourceBundle.Control.FORMAT_PROPERTIES));
        String text = bundle.getString(key);
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
