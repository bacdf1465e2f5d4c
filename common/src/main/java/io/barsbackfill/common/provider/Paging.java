package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.ErrorCode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The pages of one fetch, for every provider: one or more requests one after another, each followed page by page
 * through its cursor (a page token, a next address) to its end, and handed to the sink in order, so a fetch holds
 * one page whatever its number of pages. The next request goes out when the sink took the page before it, or, with
 * {@code prefetch}, as soon as that page's cursor is known, so storing one page overlaps fetching the next (a fetch
 * then holds at most two pages). A failed prefetch fails the fetch only after the sink has taken the page before
 * it. A cursor seen twice, or more than {@code maxPages} pages for one request, is an error, never a loop or a
 * silent truncation.
 */
public final class Paging {

    /** One request's pages: the first at a null cursor, each next at the cursor the page before named. */
    @FunctionalInterface
    public interface Request {
        Uni<ProviderPage> page(String cursor);
    }

    private final List<Request> requests;
    private final boolean prefetch;
    private final int maxPages;
    private int current;
    private Set<String> seenCursors = new HashSet<>();
    private String next;
    private Prefetch ahead;

    private Paging(List<Request> requests, boolean prefetch, int maxPages) {
        this.requests = requests;
        this.prefetch = prefetch;
        this.maxPages = maxPages;
    }

    /** Every page of {@code requests}, in order, to {@code sink}; {@code last} on the last request's last page. */
    public static Uni<Void> fetch(List<Request> requests, boolean prefetch, int maxPages, PageSink sink) {
        if (requests.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Paging paging = new Paging(List.copyOf(requests), prefetch, maxPages);
        // a loop over pages, not a chain that nests one level per page: each page's objects are released once the
        // sink took it, where a nested chain kept every page of the fetch reachable until its last one
        return Multi.createBy()
                .repeating()
                .uni(paging::next)
                .whilst(page -> !paging.isLast(page))
                .onItem()
                .transformToUniAndConcatenate(page -> paging.handOver(page, sink))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private boolean isLast(ProviderPage page) {
        return page.isLast() && current == requests.size() - 1;
    }

    /** The first page, then the page at the last page's cursor, then the next request's first page. */
    private Uni<ProviderPage> next() {
        if (ahead != null) {
            Uni<ProviderPage> page = ahead.page();
            ahead = null;
            return page;
        }
        return next == null ? requests.get(current).page(null) : send(next).page();
    }

    private Uni<Void> handOver(ProviderPage page, PageSink sink) {
        boolean requestDone = page.isLast();
        boolean last = isLast(page);
        next = page.next();
        if (!requestDone && !seenCursors.add(next)) {
            return Uni.createFrom()
                    .failure(new ProviderException(
                            ErrorCode.PAGINATION_ERROR, "provider repeated a page token; refusing to loop"));
        }
        if (requestDone && !last) {
            current++;
            next = null;
            seenCursors = new HashSet<>();
        }
        ahead = requestDone || !prefetch ? null : send(next);
        return sink.accept(page.bars(), last).onFailure().invoke(this::cancel).chain(proceed -> {
            if (last || proceed) {
                return Uni.createFrom().voidItem();
            }
            cancel();
            return Uni.createFrom()
                    .failure(new FetchAbandonedException("every lease of this fetch was lost; no further pages read"));
        });
    }

    /**
     * Requests the page at {@code cursor} now, and keeps its outcome, item or failure, for the next step. A fetch
     * that stops before it reads the page cancels it: its retries stop, though a request already sent counts.
     */
    private Prefetch send(String cursor) {
        if (seenCursors.size() >= maxPages) {
            return new Prefetch(
                    Uni.createFrom()
                            .failure(new ProviderException(
                                    ErrorCode.PAGINATION_ERROR,
                                    "more than " + maxPages + " pages for one request; refusing to truncate")),
                    null);
        }
        CompletableFuture<ProviderPage> started =
                requests.get(current).page(cursor).subscribe().asCompletionStage();
        return new Prefetch(Uni.createFrom().completionStage(started), started);
    }

    private void cancel() {
        if (ahead != null && ahead.started() != null) {
            ahead.started().cancel(false);
        }
        ahead = null;
    }

    /** The next page, requested before the sink took the current one; {@code started} is null when not sent. */
    private record Prefetch(Uni<ProviderPage> page, CompletableFuture<ProviderPage> started) {}
}
