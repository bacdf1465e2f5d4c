package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.Messages;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Puts the dispatch, run ids and symbols of a request in the logging MDC, so that one run can be followed across
 * the orchestrator and the fetchers (JSON logs carry them as fields). The orchestrator names its dispatch in the
 * {@value #DISPATCH_HEADER} header; the functions add their runs. On Vert.x the MDC belongs to the request.
 */
@ApplicationScoped
public class LogContext {

    public static final String DISPATCH_HEADER = "X-Backfill-Dispatch-Id";
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F-]{36}");

    void install(@Observes Router router) {
        router.route().order(-999).handler(ctx -> {
            String dispatch = ctx.request().getHeader(DISPATCH_HEADER);
            if (dispatch != null && UUID_TEXT.matcher(dispatch).matches()) {
                MDC.put("dispatch_id", dispatch);
            }
            ctx.next();
        });
    }

    /** The runs and symbols a fetch works on (as sent: unchecked text is cut short). */
    public static void runs(List<String> runIds, List<String> symbols) {
        MDC.put("run_id", shortened(runIds));
        MDC.put("symbol", shortened(symbols));
    }

    private static String shortened(List<String> values) {
        if (values == null) {
            return "";
        }
        return Messages.clip(
                String.join(",", values.stream().map(String::valueOf).toList()), 2000);
    }
}
