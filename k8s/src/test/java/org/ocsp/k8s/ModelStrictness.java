package org.ocsp.k8s;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds properties that a model class kept only because it preserves unknown fields: Strimzi's
 * and fabric8's models accept any field into {@code additionalProperties} instead of failing, so
 * a misspelt field would parse. This walks the parsed object and reports every such field.
 *
 * <pre>{@code
 * List<String> unknown = ModelStrictness.unknownProperties(Yaml.convert(doc, Kafka.class));
 * }</pre>
 */
public final class ModelStrictness {
    private static final List<String> MODEL_PACKAGES = List.of("io.strimzi.", "io.fabric8.");

    private ModelStrictness() {
    }

    /** "path: name" for every field the model did not declare; empty when all were known. */
    public static List<String> unknownProperties(Object model) {
        List<String> out = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection) {
            int i = 0;
            for (Object item : (Collection<?>) o) {
                walk(item, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), out, seen);
            }
            return;
        }
        if (!isModel(o.getClass())) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            if (!name.startsWith("get") || name.equals("getClass")) {
                continue;
            }
            Object value = invoke(m, o);
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map && !((Map<?, ?>) value).isEmpty()) {
                    for (Object key : ((Map<?, ?>) value).keySet()) {
                        out.add(path + ": unknown field '" + key + "'");
                    }
                }
            } else {
                walk(value, path + "." + decapitalize(name.substring(3)), out, seen);
            }
        }
    }

    private static boolean isModel(Class<?> c) {
        if (c.isEnum()) {
            return false;
        }
        for (String p : MODEL_PACKAGES) {
            if (c.getName().startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Method m, Object o) {
        try {
            return m.invoke(o);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;   // a computed getter that needs more state; not a property
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
