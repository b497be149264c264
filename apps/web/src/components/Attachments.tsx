import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Attachment, Ticket, UploadProgress } from '@tickets/client';
import { type TicketsQueryOptions, useTickets, useTicketsClient } from '@tickets/client/react';
import { type FormEvent, useRef, useState } from 'react';
import { isStaff, timeAgo } from '../format';
import { useUser } from '../session';
import { LoadMore } from './TicketTable';
import { Badge, Empty, ErrorMessage, Loading } from './ui';

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** The attachments' pages (the ticket page starts this query together with the ticket's own). */
export const attachmentsQuery = (api: TicketsQueryOptions, ticketId: string) =>
  api.attachments.list.infiniteQueryOptions(
    { ticketId, limit: 50 },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );

export function Attachments({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const list = useInfiniteQuery(attachmentsQuery(api, ticket.id));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="attachments-heading" className="card">
      <h2 id="attachments-heading">Attachments</h2>
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="attachments" />
      ) : items.length === 0 ? (
        <Empty>
          <p>No files attached.</p>
        </Empty>
      ) : (
        <ul className="attachments">
          {items.map((attachment) => (
            <AttachmentItem key={attachment.id} attachment={attachment} />
          ))}
        </ul>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
        what="attachments"
      />
      <Upload ticket={ticket} />
    </section>
  );
}

function AttachmentItem({ attachment }: { attachment: Attachment }) {
  const client = useTicketsClient();
  const download = useMutation({
    mutationFn: async () => {
      const file = await client.downloadAttachment(attachment.id);
      const blob = await new Response(file.stream, { headers: { 'content-type': file.contentType } }).blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  return (
    <li>
      <span className="filename">{attachment.filename}</span>{' '}
      <span className="meta">{size(attachment.size)}</span>{' '}
      <span className="meta">{timeAgo(attachment.createdAt)}</span>
      {attachment.internal ? (
        <>
          {' '}
          <Badge kind="internal">Internal</Badge>
        </>
      ) : null}{' '}
      <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
        {download.isPending ? 'Downloading…' : `Download ${attachment.filename}`}
      </button>
      <ErrorMessage error={download.error} />
    </li>
  );
}

function Upload({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const client = useTicketsClient();
  const user = useUser();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [internal, setInternal] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) =>
      client.uploadAttachment({
        ticketId: ticket.id,
        file,
        internal: isStaff(user.role) && internal,
        onProgress: setProgress,
      }),
    onSuccess: () => {
      if (input.current) input.current.value = '';
      for (const key of [api.attachments.pathKey(), api.logs.pathKey()]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
    },
  });
  if (!isStaff(user.role) && ticket.status === 'closed') return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    setProgress({ loaded: 0, total: file.size });
    upload.mutate(file);
  };
  const percent = progress?.total ? Math.round((100 * progress.loaded) / progress.total) : 0;
  return (
    <form onSubmit={submit} className="stack upload" aria-label="Attach a file">
      <label>
        File to attach
        <input ref={input} type="file" required />
      </label>
      {isStaff(user.role) ? (
        <label className="inline">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
          Internal (hidden from the requester)
        </label>
      ) : null}
      {upload.isPending || (progress && upload.isSuccess) ? (
        <div className="progress">
          <progress id="upload-progress" max={100} value={percent} aria-label="Upload progress" />
          <span role="status">{upload.isSuccess ? 'Uploaded.' : `Uploading… ${percent}%`}</span>
        </div>
      ) : null}
      <ErrorMessage error={upload.error} />
      <button type="submit" disabled={upload.isPending}>
        {upload.isPending ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}
