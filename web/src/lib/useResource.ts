/** A list or record fetched from the API when the page opens: its value (null until loaded), the error sentence if
 * the request failed, and `reload` for after a change. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "./api";

export function useResource<T>(path: string) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    () =>
      api
        .get<T>(path)
        .then(setValue)
        .catch((caught: ApiError) => setError(caught.message)),
    [path],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, setValue, error, setError, reload };
}
