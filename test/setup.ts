// type-graphql reads decorator metadata through the Reflect API.
import 'reflect-metadata';
