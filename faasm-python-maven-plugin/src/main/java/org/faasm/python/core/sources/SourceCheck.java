package org.faasm.python.core.sources;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.Setting;

/**
 * Resolves every source a build needs before any of it compiles, and reports every one that is
 * missing in one failure, not only the first: each resolution runs, a failure the user can act on
 * ({@link FaasmException}: what is missing, where it was looked for, what to do) is kept, and
 * {@link #complete()} throws {@link Missing} listing them all.
 */
public final class SourceCheck {
    private final List<FaasmException> failures = new ArrayList<>();
    private int checked;

    /** Runs one resolution; its failure is kept for the report instead of thrown. */
    public void attempt(Supplier<?> resolution) {
        checked++;
        try {
            resolution.get();
        } catch (FaasmException e) {
            failures.add(e);
        }
    }

    /** How many sources were checked. */
    public int checked() {
        return checked;
    }

    /** Throws one {@link Missing} that lists every failure, if there was any. */
    public void complete() {
        if (!failures.isEmpty()) {
            throw new Missing(failures, checked);
        }
    }

    /** Some sources of a build are missing: each failure as it was raised, in the order checked. */
    public static final class Missing extends FaasmException {
        private final List<FaasmException> failures;
        private final int checked;

        Missing(List<FaasmException> failures, int checked) {
            super(render(failures, checked, FaasmException::describe), (String) null, HINT);
            this.failures = List.copyOf(failures);
            this.checked = checked;
        }

        public List<FaasmException> failures() {
            return failures;
        }

        /** Every failure, with a setting shown as {@code whereOf} gives it. */
        @Override
        public String describe(Function<Setting, String> whereOf) {
            return render(failures, checked, f -> f.describe(whereOf)) + System.lineSeparator() + System.lineSeparator() + "  what to do: " + HINT;
        }

        private static final String HINT = "supply each missing source as its entry says, then build again; the initialize phase"
                + " checks every source in seconds (mvn initialize), before anything is compiled";

        private static String render(List<FaasmException> failures, int checked, Function<FaasmException, String> describe) {
            String nl = System.lineSeparator();
            StringBuilder sb = new StringBuilder(failures.size() + " of the " + checked + " sources this build needs "
                    + (failures.size() == 1 ? "is" : "are") + " missing; nothing was compiled:");
            for (int i = 0; i < failures.size(); i++) {
                String entry = describe.apply(failures.get(i)).replace("\r\n", "\n").replace("\n", nl + "     ");
                sb.append(nl).append(nl).append(String.format("  %d. ", i + 1)).append(entry);
            }
            return sb.toString();
        }
    }
}
