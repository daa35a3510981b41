// Posts a FormData with XMLHttpRequest, for upload progress events (fetch has none).
import { headersFor, sessionExpired, ApiError } from './api.js';

/** Largest attachment the server accepts (10 MB), checked before uploading. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * Sends `form` to `url` as multipart/form-data. `onProgress(fraction)` gets 0..1 as
 * bytes leave. Resolves with the parsed JSON body; rejects with ApiError.
 */
export function upload(url, form, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    for (const [name, value] of Object.entries(headersFor('POST'))) request.setRequestHeader(name, value);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { body = { detail: request.responseText }; }
      if (request.status >= 200 && request.status < 300) return resolve(body);
      if (request.status === 401) sessionExpired();
      reject(new ApiError(request.status, body));
    });
    request.addEventListener('error', () => reject(new ApiError(0, { detail: 'The upload failed. Check your connection.' })));
    request.send(form);
  });
}
