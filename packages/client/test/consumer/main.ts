// What a stranger writes after `npm install @tickets/client`: the consumer test type-checks this file
// against the packed tarball (moduleResolution bundler and nodenext) and runs it against a live server.
// It prints one JSON line with what it saw; any failure exits non-zero.
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  createTicketsClient,
  isTicketsError,
  type Notification,
  type Ticket,
  type TicketsClient,
  ticketStatuses,
} from '@tickets/client';
import { EventSource } from 'eventsource';

const [url = '', adminEmail = '', adminPassword = ''] = process.argv.slice(2);
if (!url || !adminEmail || !adminPassword) {
  throw new Error('usage: main.js <server url> <admin email> <password>');
}
const run = randomUUID().slice(0, 8);
const password = 'a long enough password';

async function signedIn(email: string, secret: string): Promise<{ client: TicketsClient; userId: string }> {
  const { token, user } = await createTicketsClient({ url }).auth.signIn.mutate({ email, password: secret });
  return { client: createTicketsClient({ url, token, EventSource }), userId: user.id };
}

async function expectError(
  promise: Promise<unknown>,
  appCode: 'TICKET_NOT_FOUND' | 'ATTACHMENT_NOT_FOUND' | 'UNAUTHENTICATED',
) {
  try {
    await promise;
  } catch (error) {
    if (isTicketsError(error, appCode)) return error.data.code;
    throw error;
  }
  throw new Error(`expected ${appCode}`);
}

const { client: admin } = await signedIn(adminEmail, adminPassword);
const workspace = await admin.workspaces.create.mutate({
  name: `Consumer ${run}`,
  slug: `consumer-${run}`,
  allowSignUp: true,
});
const supportEmail = `support-${run}@example.com`;
await admin.users.create.mutate({
  workspaceId: workspace.id,
  email: supportEmail,
  password,
  name: 'Sam Support',
  role: 'support',
});

const requesterEmail = `requester-${run}@example.com`;
await createTicketsClient({ url }).auth.signUp.mutate({
  workspaceSlug: workspace.slug,
  email: requesterEmail,
  password,
  name: 'Rae Requester',
});
const { client: requester } = await signedIn(requesterEmail, password);
const ticket: Ticket = await requester.tickets.create.mutate({
  title: 'The printer is on fire',
  description: 'Since nine this morning.',
  category: 'technical',
});
if (!ticketStatuses.includes(ticket.status)) throw new Error(`unknown status ${ticket.status}`);
const missingTicketCode = await expectError(
  requester.tickets.get.query({ id: randomUUID() }),
  'TICKET_NOT_FOUND',
);

// A file streamed from a Node Readable, in chunks, with progress; then read back byte for byte.
const bytes = randomBytes(300 * 1024 + 7);
const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, index) =>
  bytes.subarray(index * 65_536, (index + 1) * 65_536),
);
const progress: number[] = [];
const attachment = await requester.uploadAttachment({
  ticketId: ticket.id,
  file: Readable.from(chunks),
  filename: 'rapport-été.bin',
  size: bytes.length,
  onProgress: ({ loaded }) => progress.push(loaded),
});
const download = await requester.downloadAttachment(attachment.id);
const received: Buffer[] = [];
for await (const chunk of Readable.fromWeb(download.stream)) received.push(chunk);
const downloaded = Buffer.concat(received);
const missingAttachmentCode = await expectError(
  requester.downloadAttachment(randomUUID()),
  'ATTACHMENT_NOT_FOUND',
);

// A Buffer goes whole (no progress asked); without a session the route answers the same typed error.
const note = await requester.uploadAttachment({
  ticketId: ticket.id,
  file: Buffer.from('hello'),
  filename: 'note.txt',
});
const noteBack = await requester.downloadAttachment(note.id);
const noteText = await new Response(noteBack.stream).text();
const anonymousUploadCode = await expectError(
  createTicketsClient({ url }).uploadAttachment({
    ticketId: ticket.id,
    file: new Blob(['x']),
    filename: 'x.txt',
  }),
  'UNAUTHENTICATED',
);

// Live: the requester listens; the support agent replies; the notification arrives over SSE.
const { client: support } = await signedIn(supportEmail, password);
const live = await new Promise<Notification>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no live notification within 30 s')), 30_000);
  const subscription = requester.notifications.onNotification.subscribe(undefined, {
    onStarted: () => {
      support.messages.create
        .mutate({ ticketId: ticket.id, body: 'On our way with a bucket.' })
        .catch(reject);
    },
    onData: (event) => {
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(event.data);
    },
    onError: (error) => {
      clearTimeout(timer);
      reject(error);
    },
  });
});

console.log(
  JSON.stringify({
    ticketId: ticket.id,
    missingTicketCode,
    missingAttachmentCode,
    uploadedSize: attachment.size,
    attachmentFilename: attachment.filename,
    downloadFilename: download.filename,
    downloadSize: download.size,
    identical: downloaded.equals(bytes),
    noteText,
    anonymousUploadCode,
    progressEvents: progress.length,
    lastProgress: progress.at(-1),
    notification: {
      type: live.type,
      ticketId: live.ticketId,
      createdAtIsDate: live.createdAt instanceof Date,
    },
  }),
);
