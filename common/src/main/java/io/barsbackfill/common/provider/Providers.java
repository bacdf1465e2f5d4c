package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Series;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.TreeMap;

/** Every {@link BarsProvider} of this instance, by name. */
@ApplicationScoped
public class Providers {

    private final Map<String, BarsProvider> byName = new TreeMap<>();

    Providers(Instance<BarsProvider> providers) {
        providers.forEach(p -> byName.put(p.name(), p));
    }

    /** The provider named {@code name}; a name no provider has is a bad request. */
    public BarsProvider named(String name) {
        BarsProvider provider = byName.get(name);
        if (provider == null) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_BAD_REQUEST,
                    "no provider named " + name + "; known: " + String.join(" ", byName.keySet()));
        }
        return provider;
    }

    /** The provider of {@code series}. */
    public BarsProvider of(Series series) {
        return named(series.provider());
    }
}
